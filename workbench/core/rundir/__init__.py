"""Run directories (CONTRACTS.md section 3): where they go and who owns one (`layout`, `claim`), what
`summary.json` holds (`summary`), writing them as training goes (`writer`) and reading them back, damaged
or not (`reader`, `history_store`)."""
