"""Models to one catalog: loading every file (with the parse cache) and resolving references."""
