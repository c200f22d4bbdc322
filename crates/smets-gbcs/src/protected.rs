//! Where a GBCS payload carries encrypted parts (GBCS 7.3.4, 7.3.5): GBZ
//! components with the encryption bit and DLMS protected attributes.
