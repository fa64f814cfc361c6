"""Persistence of session logs behind one ``EventStore`` interface; no meeting rules here."""
