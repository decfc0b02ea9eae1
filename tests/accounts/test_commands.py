import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import ApiClient, AuditEvent, User
from accounts.permissions import SYSTEM
from tests.factories import VillageFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_create_user_with_a_township_scope_can_log_in(client, jiuyuan, capsys):
    call_command("create_user", "liu", "--role", "township_officer", "--township", jiuyuan.code,
                 "--password", "s3cret-pass-77")
    user = User.objects.get(username="liu")
    assert (user.role, user.township) == ("township_officer", jiuyuan)
    assert client.login(username="liu", password="s3cret-pass-77")
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_create_user_for_a_broker_derives_the_township_from_the_village(jiuyuan):
    village = VillageFactory(township=jiuyuan)
    call_command("create_user", "zhang", "--role", "broker", "--village", village.code)
    user = User.objects.get(username="zhang")
    assert (user.village, user.township) == (village, jiuyuan)
    assert not user.has_usable_password()


def test_create_user_for_an_operator_takes_the_workshop_id(jiuyuan):
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    call_command("create_user", "wang", "--role", "workshop_operator", "--workshop", str(workshop.pk))
    assert User.objects.get(username="wang").workshop == workshop


@pytest.mark.parametrize("args, message", [
    (["--role", "township_officer"], "该角色必须指定乡镇"),
    (["--role", "broker"], "经纪人必须指定所在村"),
    (["--role", "township_officer", "--township", "511781999"], "No township"),
    (["--role", "workshop_operator", "--workshop", "99999"], "No workshop"),
])
def test_create_user_refuses_a_role_without_its_scope(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "bad", *args)
    assert not User.objects.filter(username="bad").exists()


def test_create_user_refuses_a_village_outside_the_township(jiuyuan, taiping):
    village = VillageFactory(township=taiping)
    with pytest.raises(CommandError, match="必须位于所属乡镇内"):
        call_command("create_user", "bad", "--role", "broker", "--township", jiuyuan.code, "--village", village.code)


def test_create_api_client_prints_a_working_key_once(capsys, jiuyuan):
    call_command("create_api_client", "万宝源", "--role", "partner", "--township", jiuyuan.code, "--read-only")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    client = ApiClient.objects.get(name="万宝源")
    assert client.read_only and client.user.township == jiuyuan
    assert key not in str(list(client.user.api_tokens.values()))  # only its digest is stored
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/townships/").json()["count"] == 1


def test_a_read_only_client_cannot_write_and_a_revoked_client_cannot_read(capsys):
    from accounts import services

    call_command("create_api_client", "普陀联络站", "--role", "partner", "--read-only")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # Permissions are checked before the method: a read-only client's write is a 403 anywhere.
    response = api.post("/api/v1/townships/", {"code": "511781999"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    client = ApiClient.objects.get(name="普陀联络站")
    services.api_client_revoke(actor=SYSTEM, client=client)
    assert api.get("/api/v1/townships/").status_code == 401


def test_create_api_client_refuses_a_duplicate_name(capsys):
    call_command("create_api_client", "省平台", "--role", "partner")
    with pytest.raises(CommandError, match="已有同名的接口客户端"):
        call_command("create_api_client", "省平台", "--role", "partner")
