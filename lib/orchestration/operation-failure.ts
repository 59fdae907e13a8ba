// The failure an operation ends with (or retries on), in plain words: its own module so
// handlers in other folders (operations, backups) import it without importing the handler table.
export class OperationFailure extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly retryable: boolean,
    /** The machine stays as it is (the operation did not apply to it). */
    public readonly keepMachine = false,
  ) {
    super(message);
    this.name = "OperationFailure";
  }
}
