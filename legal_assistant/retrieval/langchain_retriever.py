"""The hybrid retriever as a langchain ``BaseRetriever``, so chains and agents can use it."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from legal_assistant.retrieval.hybrid import HybridRetriever, SearchFilters


class LegalArticleRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: HybridRetriever
    k: int = 8
    filters: SearchFilters = SearchFilters()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        documents = []
        for hit in self.retriever.search(query, k=self.k, filters=self.filters):
            metadata = {**hit.unit.metadata, "id": hit.id, "title": hit.unit.title, "explicit": hit.explicit}
            if hit.article is not None:
                metadata["citation"] = hit.article.citation
            documents.append(Document(page_content=hit.unit.text, metadata=metadata))
        return documents
