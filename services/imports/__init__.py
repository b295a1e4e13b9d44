"""Roster import and export (enterprises, branches, members) from the files park offices keep."""
