"""The base Struct of every Hub response type, and the cached JSON decoders.

Every type in :mod:`hubapi_async.types` derives from :class:`HubStruct`:

- ``kw_only=True``: construct with keyword arguments only (msgspec applies
  ``kw_only`` to the fields a class defines itself, so every subclass repeats
  ``kw_only=True``, and ``frozen=True`` for type checkers);
- ``frozen=True``: instances are immutable and hashable (when their fields are);
- lenient: keys the Struct does not know are ignored, so a new field on the Hub
  never breaks decoding (msgspec's default; see msgspec's schema evolution notes);
- no struct-wide ``rename``: the Hub mixes ``createdAt``, ``pipeline_tag`` and
  ``model-index``, so each field whose wire name differs from its snake_case
  attribute name spells the wire name out with ``msgspec.field(name=...)``;
- every field but the identity fields defaults to ``None`` (absent on the wire).

Decoding goes straight from bytes to Structs with one :class:`msgspec.json.Decoder`
per target type, built on first use and reused (:func:`decoder_for`). Errors are
``msgspec.DecodeError`` (not JSON) and ``msgspec.ValidationError`` (JSON of the
wrong shape); callers translate them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

import msgspec
import msgspec.inspect as mi

__all__ = ["HubStruct", "decode_json", "decoder_for"]

T = TypeVar("T")

_SCALARS = (str, int, float, bool, type(None))


class HubStruct(msgspec.Struct, kw_only=True, frozen=True, repr_omit_defaults=True):
    """Base of every Hub response Struct: keyword-only, immutable, lenient.

    ``repr()`` shows only the fields that are set, so a listing item with
    ten known keys prints ten fields, not forty.
    """

    def to_dict(self) -> dict[str, Any]:
        """Return the Struct as plain builtins, recursively, keyed by attribute name.

        Keys are the Python attribute names (``created_at``, ``model_index``,
        ``object_id``), not the Hub's wire names; every field is present, unset
        ones as ``None``. Values follow :func:`msgspec.to_builtins`: nested Structs
        become dicts, tuples become lists, datetimes become RFC 3339 strings, so the
        result is ready for :func:`json.dumps`. Keys of data-keyed mappings
        (``card_data``, ``config``, ``safetensors.parameters``...) are kept as they are.

        :meth:`from_dict` reverses it.
        """
        return {name: _plain(getattr(self, name)) for name in self.__struct_fields__}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build an instance from a :meth:`to_dict` result (or a wire-named dict).

        Keys may be attribute names or wire names; values are validated and
        converted as when decoding (ISO strings become aware datetimes).
        Raises ``msgspec.ValidationError`` on a wrongly shaped value.
        """
        return msgspec.convert(_to_wire(data, _type_info(cls)), cls)


def decoder_for(tp: type[T]) -> msgspec.json.Decoder[T]:
    """Return the JSON decoder for ``tp``, built once per type and reused.

    ``tp`` may be a Struct (``ModelInfo``) or a generic alias
    (``list[ModelInfo]``, ``dict[str, list[str]]``); the type object is the
    cache key.
    """
    try:
        return _DECODERS[tp]
    except KeyError:
        decoder: msgspec.json.Decoder[T] = msgspec.json.Decoder(tp)
        return _DECODERS.setdefault(tp, decoder)


def decode_json(data: bytes | bytearray | memoryview | str, tp: type[T]) -> T:
    """Decode a JSON document into ``tp`` with the cached decoder for that type.

    Raises ``msgspec.DecodeError`` if ``data`` is not JSON and
    ``msgspec.ValidationError`` if it does not match ``tp``.
    """
    return decoder_for(tp).decode(data)


_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}
_TYPE_INFO: dict[type, mi.Type] = {}


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, HubStruct):
        return value.to_dict()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return msgspec.to_builtins(value)


def _type_info(cls: type) -> mi.Type:
    info = _TYPE_INFO.get(cls)
    if info is None:
        info = _TYPE_INFO.setdefault(cls, mi.type_info(cls))
    return info


def _to_wire(value: Any, tp: mi.Type) -> Any:
    """Rename attribute-named keys to wire names, following the type tree."""
    if isinstance(tp, mi.UnionType):
        for member in tp.types:
            if _accepts(member, value):
                return _to_wire(value, member)
        return value
    if isinstance(tp, mi.StructType) and isinstance(value, Mapping):
        fields = {f.name: f for f in tp.fields}
        wire: dict[str, Any] = {}
        for key, item in value.items():
            field = fields.get(key)
            if field is None:
                wire[key] = item
            else:
                wire[field.encode_name] = _to_wire(item, field.type)
        return wire
    if isinstance(tp, mi.DictType) and isinstance(value, Mapping):
        return {key: _to_wire(item, tp.value_type) for key, item in value.items()}
    if isinstance(tp, mi.ListType) and isinstance(value, list | tuple):
        return [_to_wire(item, tp.item_type) for item in value]
    return value


def _accepts(tp: mi.Type, value: Any) -> bool:
    if isinstance(value, Mapping):
        return isinstance(tp, mi.StructType | mi.DictType)
    if isinstance(value, list | tuple):
        return isinstance(tp, mi.ListType)
    return False
