"""The pages of the aspects, hazards and incidents registers."""
