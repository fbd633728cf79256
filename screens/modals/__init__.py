"""Typed modal screens: confirmations dismissed with a value."""

from screens.modals.confirm import ConfirmModal, TypedConfirmModal

__all__ = ["ConfirmModal", "TypedConfirmModal"]
