"""The domain core, by feature: nothing here imports Textual or Rich.

- `persistence`: the database (files, engine, migrations, models, repositories, the gateway);
  the only package that speaks SQL.
- `meeting`: agenda, stage and timer, minutes, parking lot, wrap-up.
- `timeline`: times, pasted timelines, events, milestones, metrics.
- `whys`: the 5 Whys tree and its rules. `factors`, `lessons`: theirs.
- `actions`: action items, SMART checks, due dates.
- `sessions`: a session's facts and attendees.
- `export`: the JSON document, every format, the public version, `load`.
- `reference`: data teams tune, and the fixed vocabularies.
- `errors`, `clock`, `text`, `wording`: what every feature uses.
"""
