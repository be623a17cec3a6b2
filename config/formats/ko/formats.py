"""A moment shown without an explicit format reads as the ``kst`` template
filter writes it (core/templatetags/smartcity.py): one format in both languages."""

DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
