"""Documents to models: the pydantic kinds and the validation of a document into one."""
