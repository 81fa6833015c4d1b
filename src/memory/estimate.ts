/** The value part of an estimate, before the key part is added. */
export interface ValueEstimate {
  encoding: string;
  bytes: number;
  exact: boolean;
}
