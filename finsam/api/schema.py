"""The OpenAPI schema: drf-spectacular, with the error answers every operation can give."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorSerializer(serializers.Serializer):
    """An error: a Swedish message, and for a 409 a code (``plan_approved``, ``in_use``)."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


ERRORS = {
    "401": OpenApiResponse(ErrorSerializer, description="Inte inloggad eller ogiltig nyckel."),
    "403": OpenApiResponse(
        ErrorSerializer, description="Rollen räcker inte (bara kansliet skriver)."
    ),
    "404": OpenApiResponse(
        ErrorSerializer, description="Finns inte, eller hör till ett annat förbund."
    ),
    "409": OpenApiResponse(
        ErrorSerializer,
        description="Planen är fastställd (code plan_approved) eller raden används (code in_use).",
    ),
    "429": OpenApiResponse(ErrorSerializer, description="För många anrop; försök igen senare."),
}
VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Ogiltiga uppgifter: fältens namn med en lista av meddelanden.",
)


class AutoSchema(openapi.AutoSchema):
    """Document the errors too, so a client (and the schema tests) know their shape."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response" or not getattr(self.view, "documents_errors", False):
            return responses
        codes = ["401", "403", "429"]
        is_detail = "{" in self.path
        if is_detail:
            codes.append("404")
        if self.method in WRITE_METHODS:
            codes.append("409")
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ERRORS[code], code))
        if self.method in WRITE_METHODS or not is_detail:
            responses.setdefault("400", self._get_response_for_code(VALIDATION_ERROR, "400"))
        return responses
