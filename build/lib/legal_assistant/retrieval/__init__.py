"""Hybrid statute retrieval: jieba BM25 + dense embeddings in Chroma, fused and reranked."""
