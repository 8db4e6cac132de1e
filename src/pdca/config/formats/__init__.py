"""pdca's own date formats per language (FORMAT_MODULE_PATH); a language not here uses Django's."""
