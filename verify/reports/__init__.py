"""Report layer: what a person reads: the claim ledger, figure plots and CSV files, bound-against-
measurement comparisons, the tightness table and the benchmark."""
