"""The pure core: no Qt here (an import-linter contract and a test hold that line)."""
