//! GBCS message envelope (placeholder).
