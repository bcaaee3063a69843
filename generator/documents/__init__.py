"""Files to documents: frontmatter and body with a line for every key, and ea.yml."""
