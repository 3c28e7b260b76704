from network.models.municipalities import (
    Invitation,
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    MunicipalityKind,
    Region,
)

__all__ = [
    "Invitation",
    "Membership",
    "MembershipRole",
    "MembershipStatus",
    "Municipality",
    "MunicipalityKind",
    "Region",
]
