"""The use-case layer: one function per thing an officer does.

Each function orchestrates: it reads (or is given) the inputs, calls the solver, then the
independent checker (``rotation.checker`` / ``rotation.hiring.check``), and hands back a
typed result; the ``exports`` writers turn results into files. ``cli/`` and ``api/`` call
only this layer, so a plan, a sweep, an outlook and an allocation take the same steps
from the terminal and from the service.

Long tasks have one entry point of the shape
``run_x(inputs..., progress: ProgressFn | None, should_stop: StopFn | None) -> Result``.

Modules: ``roster`` (read and validate a roster), ``plan`` (plan a year), ``check``
(check a plan, also one edited by hand), ``sweep`` (what-if scenarios), ``outlook``
(roll the county forward), ``allocation`` (the 县管校聘 hiring rounds), ``title_posts``
(share senior and intermediate title posts), ``exports`` (one writer per artefact).
"""
