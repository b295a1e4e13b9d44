"""HONGFAN_NEW_ID_KEY=<new key> python manage.py rotate_id_key

Re-encrypts every ID number (and every upload awaiting an import's confirmation) from the key in
force, HONGFAN_ID_KEY, to the new one, in one transaction (config/id_key.py). Stop web, worker and
beat first, and start them again with HONGFAN_ID_KEY set to the new key: a process still holding
the old key could no longer read the numbers. The new key is read from the environment, not the
command line, where `ps` would show it.
"""

from django.core.management.base import BaseCommand, CommandError

from config.env import env
from config.id_key import RotationError, rotate_id_key


class Command(BaseCommand):
    help = "Re-encrypt every ID number under the key in HONGFAN_NEW_ID_KEY (one transaction, audited)."

    def handle(self, *args, **options):
        new_key = env("HONGFAN_NEW_ID_KEY", default="")
        if not new_key:
            raise CommandError("请在环境变量 HONGFAN_NEW_ID_KEY 中给出新密钥。")
        try:
            done = rotate_id_key(new_key=new_key)
        except RotationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已用新密钥重新加密：{done.members} 个身份证号，{done.uploads} 个待确认的导入文件（{len(done.parks)} 个园区）。\n"
            "现在把 HONGFAN_ID_KEY 改为新密钥，再启动网站、worker 和 beat；旧密钥可以销毁（此前的备份仍需旧密钥才能读出）。"
        )
