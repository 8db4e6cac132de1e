"""The risks pages: the method and the register (`register`), the context and the interested
parties (`context`)."""
