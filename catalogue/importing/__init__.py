"""The ways in by file and feed: spreadsheets and UiTdatabank JSON-LD, applied per organisation.

``rows`` turns one row or document into an ``OfferInput`` with its errors, ``spreadsheet`` and
``uitdatabank`` read whole files, and ``sync`` writes a whole feed for one organisation through
``catalogue.services`` (create, update, leave unchanged, unpublish what the feed no longer holds).
"""
