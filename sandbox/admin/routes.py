"""Admin API routes (placeholder until the sandbox service part implements them)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/admin/v1")
