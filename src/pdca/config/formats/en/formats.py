# English pages keep the unambiguous ISO dates pdca always showed (Django's "en" would write
# 12/01/2026); German uses Django's German formats (01.12.2026).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
