"""Reports of a gatecheck run, all derived from one ``results.json``.

Layout (one job per module):

- ``results``   results.json: schema (``results.schema.json``), validation, loading, derived summary/matrix
- ``outcomes``  the outcome words (passed ... not-applicable) and how they roll up
- ``writer``    writes a run folder's reports atomically, through the redactor; the ``latest`` pointer
- ``markdown``  summary.md (CI job summary / PR comment)
- ``html``      report.html (self-contained; template in ``templates/``), details in ``html_sections``,
                charts from ``svg``, timings read through ``metrics``
- ``junit``     junit.xml: pytest's per-suite JUnit merged and made to mirror the gate
- ``allure``    allure-results extras and the optional Allure HTML build
- ``baseline``  accepted failures: load, apply, write
- ``history``   reports/history/index.jsonl, one line per run
- ``drift``     compare two runs (and the history); ``drift_render`` writes it as Markdown/HTML
- ``merge``     combine shards and targets into one set of reports
- ``shapes``    observed response shapes and their comparison with the spec
- ``specdiff``  breaking and non-breaking changes between two versions of a spec (``specdiff_shape``
                normalises equivalent schema spellings, ``specdiff_render`` writes the Markdown)
- ``scrub``     redacts files other tools wrote into a run folder
- ``atomic``    write-to-temp-then-rename helpers
"""

from __future__ import annotations
