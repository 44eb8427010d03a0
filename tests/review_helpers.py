"""What the review tests share: a scratch directory with files, a git
repository with an author, and the replies of the email format read back
as a mail client would."""
import email
import email.policy
import mailbox
import os
import shutil
import subprocess
import tempfile

AUTHOR = {"GIT_AUTHOR_NAME": "Ann Hacker",
          "GIT_AUTHOR_EMAIL": "ann@example.org",
          "GIT_COMMITTER_NAME": "Ann Hacker",
          "GIT_COMMITTER_EMAIL": "ann@example.org"}


class ScratchDir:
    """A temporary directory (self.tmp) removed after each test: mix into
    a TestCase before unittest.TestCase."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        super().setUp()

    def tearDown(self):
        shutil.rmtree(self.tmp)
        super().tearDown()

    def write(self, name, text):
        p = os.path.join(self.tmp, name)
        with open(p, "w") as fh:
            fh.write(text)
        return p


def git(repo, *args):
    """git -C REPO ARGS as Ann Hacker; its output, stripped."""
    return subprocess.run(["git", "-C", repo] + list(args),
                          env=dict(os.environ, **AUTHOR), check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip()


def commit_all(repo, subject):
    """Commit everything in REPO; the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", subject)
    return git(repo, "rev-parse", "HEAD")


def mbox_messages(text):
    """The messages of the mbox TEXT, parsed as a mail client would."""
    fd, path = tempfile.mkstemp(suffix=".mbox")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    try:
        box = mailbox.mbox(path)
        msgs = [email.message_from_bytes(box.get_bytes(k),
                                         policy=email.policy.default)
                for k in box.keys()]
        box.close()
    finally:
        os.unlink(path)
    return msgs
