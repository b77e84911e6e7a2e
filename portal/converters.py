"""The ``<id:…>`` path converter: a database id, at most 18 digits.

Django's ``<int:…>`` takes any number of digits, and SQLite fails the query (a server error) on an
integer of 2^63 or more; no row has such an id, so such a path is simply not found.
"""

from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"
