//! Edge resource families beyond identity and access (posture, connectors, gateways,
//! client configs, CA certificates, app control): their kinds and checks.
