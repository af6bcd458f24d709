"""The response Structs against the recorded Hub answers and the base Struct's contract."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import msgspec
import pytest

import hubapi_async.types as types_pkg
from hubapi_async.types import (
    Croissant,
    DatasetInfo,
    HubStruct,
    InferenceProviderMapping,
    InferenceProviderMappingEntry,
    ModelInfo,
    ModelTagsByType,
    ParquetFiles,
    ParquetFilesBySplit,
    ParquetFilesBySubset,
    RepoSibling,
    SafeTensorsInfo,
    SpaceInfo,
    TagInfo,
    TagsByType,
    decode_json,
    decoder_for,
)

from ._helpers import recordings_dir

RECORDINGS = recordings_dir()


def body(name: str) -> bytes:
    path = RECORDINGS / f"{name}.body.json"
    if not path.is_file():
        pytest.fail(f"recording {path} is missing from hubapi_async/testing/recordings")
    return path.read_bytes()


def model(name: str) -> ModelInfo:
    return decode_json(body(f"models/model_info__{name}"), ModelInfo)


# --- models -------------------------------------------------------------------------


def test_model_info_bert() -> None:
    info = model("google-bert_bert-base-uncased")
    assert info.id == "google-bert/bert-base-uncased"
    assert info.object_id == "621ffdc036468d709f174338"
    assert info.model_id == info.id
    assert info.author == "google-bert"
    assert info.sha == "86b5e0934494bd15c9632b12f734a8a67f723594"
    assert info.created_at == datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC)
    assert info.last_modified == datetime(2024, 2, 19, 11, 6, 12, tzinfo=UTC)
    assert info.created_at.utcoffset() is not None
    assert info.private is False
    assert info.disabled is False
    assert info.gated is False
    assert info.pipeline_tag == "fill-mask"
    assert info.library_name == "transformers"
    assert info.mask_token == "[MASK]"
    assert info.inference == "warm"
    assert info.downloads == 72376843
    assert info.likes == 2065
    assert info.used_storage == 12904182200
    assert info.tags is not None
    assert "license:apache-2.0" in info.tags
    assert info.model_index is None
    assert info.widget_data == [
        {"text": "Paris is the [MASK] of France."},
        {"text": "The goal of life is [MASK]."},
    ]
    assert info.config is not None
    assert info.config["model_type"] == "bert"
    assert info.card_data is not None
    assert info.card_data["datasets"] == ["bookcorpus", "wikipedia"]
    assert info.transformers_info is not None
    assert info.transformers_info.auto_model == "AutoModelForMaskedLM"
    assert info.transformers_info.processor == "AutoTokenizer"
    assert info.safetensors == SafeTensorsInfo(parameters={"F32": 110106428}, total=110106428)
    assert info.siblings is not None
    assert len(info.siblings) == 16
    assert info.siblings[0] == RepoSibling(rfilename=".gitattributes")
    assert info.siblings[0].size is None
    assert info.siblings[0].lfs is None
    assert info.spaces is not None
    assert len(info.spaces) == 100
    assert info.spaces[0] == "mteb/leaderboard"
    assert info.inference_provider_mapping is None


def test_model_info_gated_manual() -> None:
    info = model("gated_manual__meta-llama_Llama-3.1-8B-Instruct")
    assert info.gated == "manual"
    assert info.created_at == datetime(2024, 7, 18, 8, 56, tzinfo=UTC)
    assert info.safetensors is not None
    assert info.safetensors.parameters == {"BF16": 8030261248}
    assert info.safetensors.total == 8030261248
    assert info.siblings is not None
    assert len(info.siblings) == 17
    assert info.card_data is not None
    assert info.card_data["extra_gated_fields"]["Country"] == "country"


def test_model_info_several_dtypes() -> None:
    info = model("sentence-transformers_all-MiniLM-L6-v2")
    assert info.safetensors is not None
    assert info.safetensors.parameters == {"I64": 512, "F32": 22713216}
    assert info.safetensors.total == 22713728
    assert info.library_name == "sentence-transformers"
    assert info.widget_data is not None
    assert info.widget_data[0]["sentences"][0] == ("That is a happy dog")
    assert info.siblings is not None
    assert len(info.siblings) == 30


def test_legacy_id_and_canonical_id_share_object_id() -> None:
    legacy = model("gpt2_legacy_id_no_redirect")
    canonical = model("openai-community_gpt2__canonical")
    assert legacy.id == legacy.model_id == "gpt2"
    assert canonical.id == "openai-community/gpt2"
    assert legacy.object_id == canonical.object_id == "621ffdc036468d709f17434d"


def test_expand_answer_sets_only_the_asked_fields() -> None:
    info = model("expand_array_syntax__facebook_bart-base")
    assert info.id == "facebook/bart-base"
    assert info.object_id == "621ffdc136468d709f17adb5"
    assert info.pipeline_tag == "feature-extraction"
    set_fields = {k for k, v in info.to_dict().items() if v is not None}
    assert set_fields == {"id", "object_id", "pipeline_tag"}


def test_expand_inference() -> None:
    assert model("expand_array_inference_warm__docs_example").inference == "warm"
    absent = model("expand_array_inference_absent__docs_example")
    assert absent.id == "manycore-research/SpatialLM-Llama-1B"
    assert absent.inference is None


def test_inference_provider_mapping_info_form_is_a_dict() -> None:
    info = model("expand_inferenceProviderMapping__black-forest-labs_FLUX.1-dev")
    mapping = info.inference_provider_mapping
    assert isinstance(mapping, dict)
    assert list(mapping) == [
        "fal-ai",
        "replicate",
        "together",
        "hf-inference",
        "nebius",
        "black-forest-labs",
    ]
    assert mapping["fal-ai"] == InferenceProviderMapping(
        status="live", provider_id="fal-ai/flux/dev", task="text-to-image"
    )
    assert mapping["nebius"].status == "staging"
    entries = info.inference_provider_entries()
    assert [e.provider for e in entries] == list(mapping)
    assert entries[0].provider_id == "fal-ai/flux/dev"


def test_inference_provider_mapping_listing_form_is_a_list() -> None:
    raw = {
        "id": "meta-llama/Llama-3.1-8B-Instruct",
        "inferenceProviderMapping": [
            {
                "provider": "sambanova",
                "providerId": "Meta-Llama-3.1-8B-Instruct",
                "status": "live",
                "task": "conversational",
            },
            {
                "provider": "novita",
                "providerId": "meta-llama/llama-3.1-8b-instruct",
                "status": "staging",
                "task": "conversational",
                "adapterWeightsPath": "w.safetensors",
                "type": "single-model",
            },
        ],
    }
    info = decode_json(json.dumps(raw).encode(), ModelInfo)
    mapping = info.inference_provider_mapping
    assert isinstance(mapping, list)
    assert all(isinstance(e, InferenceProviderMappingEntry) for e in mapping)
    assert mapping[1].adapter_weights_path == "w.safetensors"
    assert mapping[1].type == "single-model"
    assert info.inference_provider_entries() == mapping
    assert model("gpt2_legacy_id_no_redirect").inference_provider_entries() == []


def test_listing_page_decodes_into_a_list() -> None:
    page = (
        b"["
        + body("models/model_info__google-bert_bert-base-uncased")
        + b","
        + (body("models/model_info__expand_array_syntax__facebook_bart-base") + b"]")
    )
    items = decode_json(page, list[ModelInfo])
    assert [m.id for m in items] == ["google-bert/bert-base-uncased", "facebook/bart-base"]


# --- datasets, spaces, tags -----------------------------------------------------------


def test_dataset_info_from_observed_shape() -> None:
    raw = (
        b'{"_id":"67be44a2e30b2f126c5d8bc5","id":"nlphuji/DOVE_Lite","author":"nlphuji",'
        b'"sha":"bc1129e223f3f48f0e4180694cde261e02da685e",'
        b'"lastModified":"2025-08-14T15:22:46.000Z","private":false,"gated":"auto",'
        b'"disabled":false,"downloads":12,"downloadsAllTime":34,"mainSize":1024,'
        b'"paperswithcode_id":null,"cardData":{"pretty_name":"DOVE"},'
        b'"siblings":[{"rfilename":"README.md","size":10,"blobId":"abc",'
        b'"lfs":{"size":10,"sha256":"ff","pointerSize":134}}]}'
    )
    info = decode_json(raw, DatasetInfo)
    assert info.gated == "auto"
    assert info.last_modified == datetime(2025, 8, 14, 15, 22, 46, tzinfo=UTC)
    assert info.downloads_all_time == 34
    assert info.main_size == 1024
    assert info.card_data == {"pretty_name": "DOVE"}
    assert info.siblings is not None
    sibling = info.siblings[0]
    assert sibling.blob_id == "abc"
    assert sibling.lfs is not None
    assert sibling.lfs.pointer_size == 134


def test_space_revision_expand() -> None:
    info = decode_json(body("spaces/space_revision__expand_xetEnabled"), SpaceInfo)
    assert info.id == "user/tmp_test_space"
    assert info.object_id == "67cae5358ccdbd832011c081"
    assert info.xet_enabled is False
    assert info.runtime is None


def test_space_objects_with_runtime() -> None:
    spaces = decode_json(body("spaces/semantic_search__hf-mcp-server_fixture"), list[SpaceInfo])
    assert len(spaces) == 4
    first = spaces[0]
    assert first.id == "ginipick/FLUXllama"
    assert first.sdk == "gradio"
    assert first.trending_score == 8
    assert isinstance(first.trending_score, int)
    assert spaces[1].trending_score == 3.5
    assert first.runtime is not None
    assert first.runtime.stage == "RUNNING"
    assert first.runtime.hardware is not None
    assert first.runtime.hardware.current == "zero-a10g"
    assert first.runtime.gc_timeout == 172800
    assert first.runtime.domains is not None
    assert first.runtime.domains[0].domain == "ginipick-fluxllama.hf.space"
    assert first.author_data is not None
    assert first.author_data.follower_count == 602
    assert first.origin_space is not None
    assert first.origin_space.name == "nyanko7/flux1-dev-nf4"
    last = spaces[3]
    assert last.runtime is not None
    assert last.runtime.replicas is not None
    assert last.runtime.replicas.requested == "auto"
    assert last.author_data is not None
    assert last.author_data.is_enterprise is False
    assert last.semantic_relevancy_score == pytest.approx(0.6919353880044354)


def test_tags_by_type() -> None:
    raw = (
        b'{"license":[{"id":"license:mit","label":"mit","type":"license"}],'
        b'"pipeline_tag":[{"id":"text-generation","label":"Text Generation",'
        b'"type":"pipeline_tag","subType":"nlp"}]}'
    )
    tags = decode_json(raw, TagsByType)
    assert tags["license"] == [TagInfo(id="license:mit", label="mit", type="license")]
    assert tags["pipeline_tag"][0].sub_type == "nlp"
    assert ModelTagsByType == TagsByType


# --- parquet and croissant ------------------------------------------------------------


def test_parquet_shapes() -> None:
    by_subset = decode_json(body("datasets/parquet__ibm_duorc__docs_example"), ParquetFilesBySubset)
    assert sorted(by_subset) == ["ParaphraseRC", "SelfRC"]
    assert by_subset["SelfRC"]["train"] == [
        "https://hf-mirror.492719920.workers.dev./api/datasets/ibm/duorc/parquet/SelfRC/train/0.parquet"
    ]
    by_split = decode_json(
        body("datasets/parquet__ibm_duorc__config__docs_shape"), ParquetFilesBySplit
    )
    assert sorted(by_split) == ["test", "train", "validation"]
    files = decode_json(
        body("datasets/parquet__ibm_duorc__config_split__docs_example"), ParquetFiles
    )
    assert files == [
        "https://hf-mirror.492719920.workers.dev./api/datasets/ibm/duorc/parquet/ParaphraseRC/train/0.parquet"
    ]
    with pytest.raises(msgspec.ValidationError):
        decode_json(body("datasets/parquet__ibm_duorc__docs_example"), ParquetFiles)


def test_croissant_is_kept_as_json_ld() -> None:
    doc = decode_json(body("datasets/croissant__Bryceee_MM-Oral"), Croissant)
    assert doc["@type"] == "sc:Dataset"
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert doc["recordSet"] == []


# --- the base Struct ------------------------------------------------------------------


def test_to_dict_uses_attribute_names_and_plain_builtins() -> None:
    info = model("google-bert_bert-base-uncased")
    data = info.to_dict()
    assert "created_at" in data
    assert "createdAt" not in data
    assert data["object_id"] == "621ffdc036468d709f174338"
    assert data["created_at"] == "2022-03-02T23:29:04Z"
    assert data["model_index"] is None
    assert data["safetensors"] == {"parameters": {"F32": 110106428}, "total": 110106428}
    assert data["siblings"][0] == {
        "rfilename": ".gitattributes",
        "size": None,
        "blob_id": None,
        "lfs": None,
    }
    assert data["transformers_info"]["auto_model"] == "AutoModelForMaskedLM"
    assert set(data) == set(ModelInfo.__struct_fields__)
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "name",
    [
        "google-bert_bert-base-uncased",
        "gated_manual__meta-llama_Llama-3.1-8B-Instruct",
        "expand_inferenceProviderMapping__meta-llama_Llama-3.1-8B-Instruct",
    ],
)
def test_to_dict_round_trip(name: str) -> None:
    info = model(name)
    assert ModelInfo.from_dict(info.to_dict()) == info
    assert ModelInfo.from_dict(json.loads(json.dumps(info.to_dict()))) == info


def test_from_dict_accepts_wire_names_too() -> None:
    raw = json.loads(body("models/model_info__google-bert_bert-base-uncased"))
    assert ModelInfo.from_dict(raw) == model("google-bert_bert-base-uncased")


def test_space_round_trip() -> None:
    spaces = decode_json(body("spaces/semantic_search__hf-mcp-server_fixture"), list[SpaceInfo])
    for space in spaces:
        assert SpaceInfo.from_dict(space.to_dict()) == space


def test_structs_are_frozen_and_keyword_only() -> None:
    info = model("google-bert_bert-base-uncased")
    with pytest.raises(AttributeError):
        info.likes = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        RepoSibling("config.json")  # type: ignore[call-arg]
    assert isinstance(info, HubStruct)


def test_unknown_keys_are_ignored_and_absent_keys_are_none() -> None:
    info = decode_json(
        b'{"id":"a/b","brandNewField":{"x":1},"siblings":[{"rfilename":"f","newer":2}]}',
        ModelInfo,
    )
    assert info.id == "a/b"
    assert info.siblings == [RepoSibling(rfilename="f")]
    assert info.likes is None
    assert info.created_at is None
    assert info.card_data is None
    assert repr(info) == "ModelInfo(id='a/b', siblings=[RepoSibling(rfilename='f')])"


def test_wrong_shape_raises_validation_error() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$\.likes"):
        decode_json(b'{"id":"a/b","likes":"many"}', ModelInfo)
    with pytest.raises(msgspec.ValidationError, match="`id`"):
        decode_json(b'{"likes":3}', ModelInfo)
    with pytest.raises(msgspec.ValidationError):
        decode_json(b'{"id":"a/b","createdAt":"yesterday"}', ModelInfo)
    with pytest.raises(msgspec.DecodeError):
        decode_json(b"<html>502</html>", ModelInfo)
    with pytest.raises(msgspec.ValidationError):
        ModelInfo.from_dict({"id": "a/b", "likes": "many"})


def test_decoders_are_cached_per_type() -> None:
    assert decoder_for(ModelInfo) is decoder_for(ModelInfo)
    assert decoder_for(list[ModelInfo]) is decoder_for(list[ModelInfo])
    assert decoder_for(dict[str, list[str]]) is decoder_for(ParquetFilesBySplit)
    decoders: set[int] = {id(decoder_for(list[ModelInfo])), id(decoder_for(ModelInfo))}
    assert len(decoders) == 2
    assert decode_json('{"id":"x"}', ModelInfo).id == "x"


def test_public_names_are_pinned() -> None:
    assert types_pkg.__all__ == sorted(types_pkg.__all__)
    assert types_pkg.__all__ == [
        "AccessTokenInfo",
        "AuthorData",
        "AutoJoin",
        "AvailableInferenceProvider",
        "BaseModelRef",
        "BaseModels",
        "BlobLfsInfo",
        "Collection",
        "CollectionItem",
        "CollectionItemNote",
        "CollectionOwner",
        "Croissant",
        "DailyPaper",
        "DatasetInfo",
        "DatasetTagsByType",
        "DatasetsServerInfo",
        "GatedValue",
        "HubStruct",
        "InferenceProviderMapping",
        "InferenceProviderMappingEntry",
        "MemberResourceGroup",
        "ModelInfo",
        "ModelTagsByType",
        "OrgMember",
        "OrgMembership",
        "OriginSpace",
        "Paper",
        "PaperAuthor",
        "PaperInfo",
        "PaperRepos",
        "PaperUser",
        "ParquetFiles",
        "ParquetFilesBySplit",
        "ParquetFilesBySubset",
        "RepoInfo",
        "RepoSibling",
        "RepoUrl",
        "ResourceGroup",
        "ResourceGroupRef",
        "ResourceGroupRepo",
        "ResourceGroupUser",
        "SafeTensorsInfo",
        "SecurityFileIssue",
        "SecurityRepoStatus",
        "SpaceDomain",
        "SpaceHardware",
        "SpaceInfo",
        "SpaceReplicas",
        "SpaceRuntime",
        "SpaceVolume",
        "TagInfo",
        "TagsByType",
        "TokenAuth",
        "TransformersInfo",
        "WhoAmI",
        "decode_json",
        "decoder_for",
    ]
    for name in types_pkg.__all__:
        assert hasattr(types_pkg, name)


def test_structs_document_their_source_and_default_to_none() -> None:
    structs = [
        obj
        for name in types_pkg.__all__
        if isinstance(obj := getattr(types_pkg, name), type) and issubclass(obj, HubStruct)
    ]
    assert len(structs) > 20
    for struct in structs:
        assert struct.__doc__, struct
        if struct is not HubStruct:
            assert "Shape" in struct.__doc__, struct
            for field in msgspec.structs.fields(struct):
                if field.required:
                    continue
                assert field.default is None, (struct, field.name)


def test_base_models_and_resource_group() -> None:
    raw = (
        b'{"id":"a/b","baseModels":{"relation":"quantized","models":[{"_id":"x","id":"o/base"}]},'
        b'"resourceGroup":{"id":"rg1","name":"ml-team","numUsers":5},'
        b'"childrenModelCount":3,"downloadsAllTime":9,"trendingScore":4,'
        b'"gguf":{"total":1,"architecture":"llama"},"xetEnabled":true}'
    )
    info = decode_json(raw, ModelInfo)
    assert info.base_models is not None
    assert info.base_models.relation == "quantized"
    assert info.base_models.models is not None
    assert info.base_models.models[0].id == "o/base"
    assert info.resource_group is not None
    assert info.resource_group.num_users == 5
    assert info.children_model_count == 3
    assert info.gguf == {"total": 1, "architecture": "llama"}
    assert info.xet_enabled is True
