/**
 * The renderer's door to the one label registry (main/contract/field-labels.ts): the same names are used as
 * the inputs' labels and inside the messages of the server and the form layer.
 */
export { FIELD_LABELS, fieldLabel, fieldMessage } from '../../main/contract/field-labels';
