from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import SIGNED_IN

from .. import todo
from .serializers import TodoSerializer


class MyTodoView(APIView):
    """What waits for the caller: the to-do of their home page (referrals awaiting a decision, workshops
    awaiting certification, runs awaiting approval or payment, months with payroll but no approved run,
    open difficulties, imports awaiting confirmation, placements without last month's payroll), each a
    count with the page listing exactly those rows. The items depend on the caller's role and scope."""

    permission_by_action = {"read": SIGNED_IN}
    filter_backends: list = []

    @extend_schema(responses={200: TodoSerializer}, operation_id="me_todo")
    def get(self, request):
        items = [entry.as_dict() for entry in todo.items_for(request.user)]
        return Response(TodoSerializer({"items": items}).data)
