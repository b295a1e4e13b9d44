"""Services to enterprises: 红色代办 demands, notices with read receipts, the policy library and
instructor visits. Empty until that work lands; the floor every app stands on is core/."""
