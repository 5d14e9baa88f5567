"""Exports and charts of stored sessions: CSV, JSONL, Markdown and HTML (Jinja2
templates, the chart inline SVG), and the progress chart for terminals (plotext).

Every export renders the typed record (coach.session.SessionRecord); no Textual.
"""
