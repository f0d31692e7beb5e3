"""Imports every module that defines tables, so migrations and ``init_db`` see the whole schema."""
