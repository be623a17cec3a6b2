"""Pure rules of live delivery (no Django): which outbox rows are new."""
