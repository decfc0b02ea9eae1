"""The OpenAPI schema says what the API really answers: besides each operation's success, the errors every
view can give, all in the one error format of accounts.api.errors ({"detail": "...", "errors": {...}}).
Checked against a live server by schemathesis in CI (.ci/schemathesis.sh)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field name (or `non_field_errors`, or a row's index in a bulk write) → messages.",
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": "Invalid input (body, filter or page parameters); `errors` says which field.",
    "401": "No valid credentials (missing, unknown, expired or revoked token).",
    "403": "Your role, scope or API client may not do this.",
    "404": "Not found, or outside your area; or a page past the end of a list.",
    "409": "The data's state forbids this (already decided, duplicate, in use); `detail` says why.",
    "415": "The request body's content type is not JSON, a form or multipart.",
    "429": "Too many requests or failed logins; see the Retry-After header.",
    "503": "Background work (the task queue) is unavailable; retry later.",
}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorDocumentingAutoSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "403", "404", "429"]
        if self.view.get_authenticators():
            codes.append("401")
        if self.method in WRITES:
            codes += ["409", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = ERRORS[code]
        # Not ours but the server's: gunicorn refuses a request line over 4094 bytes with an HTML 414
        # before Django sees it (schemathesis found one with ten long filter values).
        responses["414"] = self._get_response_for_code(OpenApiTypes.STR, "414", media_types=["text/html"],
                                                       direction=direction)
        responses["414"]["description"] = "URI too long (over 4094 bytes): refused by the web server, as HTML."
        if "503" in responses:
            responses["503"] = self._get_response_for_code(ErrorSerializer, "503", direction=direction)
            responses["503"]["description"] = ERRORS["503"]
        return responses
