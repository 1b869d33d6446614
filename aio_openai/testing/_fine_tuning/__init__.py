"""The Fine-tuning API of the fake server: jobs that move through their statuses, their
events and checkpoints, checkpoint permissions, and graders.

Reached as ``fake.state.fine_tuning`` (a :class:`FineTuningState`). A job's
``training_file`` (and ``validation_file``) names a file of ``fake.state.files`` uploaded
with purpose ``fine-tune`` (a 400 otherwise); its lines are read as OpenAI reads them when
the job validates its files (:mod:`.training`), and a bad file fails the job with an
``error``. Statuses move one a retrieve (``configure(polls=...)``; ``advance(job_id)`` and
``finish(job_id)`` move a job by hand), see :mod:`.state`. A succeeded job's model and its
checkpoints are served by the fake. Webhook endpoints get the ``fine_tuning.job.*`` events.

Modules: :mod:`.state` (jobs, events, checkpoints, permissions), :mod:`.training` (the
files read), :mod:`.graders` (graders checked and run), :mod:`.checks` (OpenAI's 400s),
:mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._fine_tuning.routes import add_fine_tuning_routes
from aio_openai.testing._fine_tuning.state import FineTuningState

__all__ = ["FineTuningState", "add_fine_tuning_routes"]
