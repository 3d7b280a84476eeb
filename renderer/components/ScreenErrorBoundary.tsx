import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { msg } from '../lib/messages';
import { queryClient } from '../lib/queryClient';
import { navigate } from '../lib/router';
import { describeScreenError, logScreenError } from '../lib/screenErrors';

interface Props {
  /** The screen's route pattern, e.g. `/foodbank/transfers`: what the log names. */
  screen: string;
  children: ReactNode;
}
interface State {
  failed: boolean;
  /** Bumped by 重新載入此畫面 so that the screen mounts afresh. */
  attempt: number;
}

/**
 * One per routed screen: a screen that throws while rendering shows a zh-TW message with a way back,
 * and the menu, the header and every other screen keep working. The error is logged without personal
 * data (renderer/lib/screenErrors.ts). Keyed by the route by its parent, so moving elsewhere resets it.
 */
export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false, attempt: 0 };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    logScreenError(describeScreenError(this.props.screen, error));
  }

  /**
   * Mounts the screen afresh on data loaded afresh: the failed screen's answers are still in the query cache
   * (no screen watches them now), and drawing those again would fail again before a new load arrives.
   */
  private readonly reload = () => {
    queryClient.removeQueries({ type: 'inactive' });
    this.setState((s) => ({ failed: false, attempt: s.attempt + 1 }));
  };

  override render(): ReactNode {
    if (!this.state.failed) return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
    return (
      <Alert color="red" title={msg.screenError.title} data-testid="screen-error" role="alert">
        <Stack gap="sm">
          <Text size="sm">{msg.screenError.body}</Text>
          <Group>
            <Button onClick={this.reload} data-testid="screen-error-reload">{msg.screenError.reload}</Button>
            <Button variant="default" onClick={() => navigate('/')} data-testid="screen-error-home">{msg.screenError.home}</Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
}
