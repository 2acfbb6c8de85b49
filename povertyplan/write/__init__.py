"""Stage 6, write: files written whole or not at all (`files`), named after the commune (`names`),
the previous version kept."""
