"""Foundations every stage uses: errors, findings and their reports, atomic writes, spreadsheets."""
