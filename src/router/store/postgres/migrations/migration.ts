/** One step of the PostgreSQL schema. */
export interface Migration {
  /** 1, 2, 3…: applied in order, each once, recorded in `schema_migrations`. */
  readonly version: number;
  /** What it does, for the log and the table. */
  readonly name: string;
  /**
   * The statements, run in one transaction. Later migrations only add (tables, columns with
   * defaults, indexes): during a rolling update the replicas not yet replaced run on the newer
   * schema.
   */
  readonly sql: string;
}
