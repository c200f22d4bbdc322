//! GBCS message-code catalogue (placeholder).
