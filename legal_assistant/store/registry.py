"""Imports every module that defines tables, so migrations and ``init_db`` see the whole schema."""

# Core tables (storage helper): users and sessions, audit log, uploaded files.
from legal_assistant.auth import models as _auth_models  # noqa: F401,E402
from legal_assistant import audit as _audit  # noqa: F401,E402
from legal_assistant.store import files as _files  # noqa: F401,E402
from legal_assistant.drafting import models as _drafting_models  # noqa: F401,E402
from legal_assistant.ledger import models as _ledger_models  # noqa: F401,E402
from legal_assistant.settlement import models as _settlement_models  # noqa: F401,E402
from legal_assistant.contracts import models as _contracts_models  # noqa: F401,E402
from legal_assistant.risks import models as _risks_models  # noqa: F401,E402
from legal_assistant.answer import models as _answer_models  # noqa: F401,E402
