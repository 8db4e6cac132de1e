import pytest

from pdca.documents.models import DocumentStatus, RevisionStatus


@pytest.mark.django_db
def test_world_document_is_effective_with_reading_assigned(world):
    doc = world.extra["document"]
    assert doc.status == DocumentStatus.EFFECTIVE
    assert doc.current_revision.status == RevisionStatus.EFFECTIVE
    assert doc.current_revision.acknowledgements.filter(user=world.employee).exists()
