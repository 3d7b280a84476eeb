import { Alert } from '@mantine/core';

/** The zh-TW message of a refused call, shown above a form's buttons. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid="form-error">
      {message}
    </Alert>
  );
}
