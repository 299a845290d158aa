"""Password hashing (argon2id) and strength rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()

# A short list of the passwords most often seen in breaches, plus Korean keyboard favourites.
COMMON_PASSWORDS = frozenset(
    """
    123456 123456789 12345678 password qwerty123 qwerty 1234567890 1234567 111111 123123 abc123
    password1 password123 iloveyou 000000 qwertyuiop 1q2w3e4r 1q2w3e4r5t 1q2w3e4r! qwer1234 asdf1234
    zxcv1234 a123456789 q1w2e3r4 q1w2e3r4t5 1qaz2wsx admin1234 administrator passw0rd letmein123
    welcome123 sunshine1 princess1 football1 dragon1234 monkey1234 master1234 qazwsx123 11111111
    00000000 12341234 1234qwer 1111111111 korea1234 saranghae sarang1234 love1234 chongmu123
    abcd1234 abcd1234! qwerasdf 987654321 9876543210 asdfghjkl zxcvbnm123 password12 password!
    """.split()
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verifying against this keeps login timing the same whether or not the e-mail exists.
DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")


def password_problems(password: str, *, min_length: int, email: str = "", name: str = "") -> list[str]:
    """Korean messages for every rule the password breaks (empty when acceptable)."""
    problems: list[str] = []
    if len(password) < min_length:
        problems.append(f"비밀번호는 {min_length}자 이상이어야 합니다.")
    if len(password) > 256:
        problems.append("비밀번호는 256자 이하여야 합니다.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) <= 2:
        problems.append("너무 흔한 비밀번호입니다. 다른 비밀번호를 사용하세요.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        problems.append("비밀번호에 이메일 주소를 넣지 마세요.")
    if name and len(name) >= 4 and name.lower() in lowered:
        problems.append("비밀번호에 이름을 넣지 마세요.")
    return problems
