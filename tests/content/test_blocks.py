"""The shared StreamField blocks: DSFR markup, validation (required transcription, links) and API representations."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from content.blocks import BodyBlock, CardBlock, LinkURLBlock, VideoBlock, video_embed
from content.models import ResourcePage
from content.seed.streams import callout, cards, document, faq, h2, highlight, p, quote, stream
from tests.content.factories import DocumentFactory

TRANSCRIPTION = "<p>Bonjour, voici comment se connecter.</p>"


def render(raw: str) -> str:
    block = BodyBlock()
    value = block.to_python(__import__("json").loads(raw))
    return block.render(value)


class TestVideoEmbed:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                ("YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            ),
            ("https://youtu.be/dQw4w9WgXcQ", ("YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")),
            (
                "https://www.dailymotion.com/video/x8abcd1",
                ("Dailymotion", "https://www.dailymotion.com/embed/video/x8abcd1"),
            ),
            ("https://dai.ly/x8abcd1", ("Dailymotion", "https://www.dailymotion.com/embed/video/x8abcd1")),
            ("https://vimeo.com/76979871", ("Vimeo", "https://player.vimeo.com/video/76979871")),
            ("https://exemple.fr/video.mp4", None),
            ("https://www.youtube.com/watch?v=<script>", None),
            ("javascript:alert(1)", None),
            ("", None),
        ],
    )
    def test_it_builds_players_only_for_known_providers(self, url, expected):
        assert video_embed(url) == expected

    def test_it_requires_a_transcription_and_a_known_provider(self):
        block = VideoBlock()
        value = {"title": "Se connecter", "url": "https://vimeo.com/76979871", "caption": "", "transcription": ""}
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(block.to_python(value))
        assert "transcription" in error.value.block_errors
        value.update(url="https://exemple.fr/video.mp4", transcription=TRANSCRIPTION)
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(block.to_python(value))
        assert "Seules les vidéos YouTube, Dailymotion et Vimeo" in str(error.value.block_errors["url"])

    def test_it_renders_the_player_and_the_dsfr_transcription(self):
        html = render(
            stream(
                {
                    "type": "video",
                    "id": "v1",
                    "value": {
                        "title": "Se connecter",
                        "url": "https://vimeo.com/76979871",
                        "caption": "",
                        "transcription": TRANSCRIPTION,
                    },
                }
            )
        )
        assert 'src="https://player.vimeo.com/video/76979871"' in html and 'title="Se connecter - vidéo Vimeo"' in html
        assert 'class="fr-transcription ' in html and "Bonjour, voici comment se connecter." in html


class TestLinks:
    def test_it_accepts_site_paths_and_web_addresses_only(self):
        block = LinkURLBlock()
        for value in ("/ressources/", "https://www.service-public.fr/"):
            assert block.clean(value) == value
        for value in ("javascript:alert(1)", "//evil.example", "ressources", "ftp://x"):
            with pytest.raises(ValidationError):
                block.clean(value)

    def test_a_card_needs_exactly_one_destination(self):
        block = CardBlock()
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python({"title": "Carte", "text": "", "page": None, "url": ""}))


class TestRendering:
    def test_it_renders_each_block_with_its_dsfr_component(self):
        html = render(
            stream(
                h2("Pourquoi ?"),
                p("Un <b>paragraphe</b>."),
                callout("À savoir", "Texte.", "Candidater", "/candidature/conseiller/"),
                highlight("Important."),
                quote("Le numérique pour tous.", "Une conseillère", "Paris"),
                faq("Questions", [("Est-ce gratuit ?", "Oui.")]),
                cards("Liens", [("Service-Public", "Démarches.", "https://www.service-public.fr/")]),
            )
        )
        assert '<h2 id="pourquoi">Pourquoi ?</h2>' in html
        assert 'class="fr-callout' in html and 'href="/candidature/conseiller/"' in html
        assert 'class="fr-highlight' in html and 'class="fr-quote' in html
        assert 'class="fr-accordions-group' in html and 'aria-controls="faq-' in html
        assert 'class="fr-card fr-enlarge-link"' in html and "nouvelle fenêtre" in html

    def test_it_renders_a_table_with_its_caption(self):
        table = {
            "caption": "Accompagnements par mois",
            "table": {
                "columns": [{"type": "text", "heading": "Mois"}, {"type": "number", "heading": "Nombre"}],
                "rows": [{"values": ["Janvier", "120"]}],
            },
        }
        html = render(stream({"type": "table", "id": "t1", "value": table}))
        assert "<caption>Accompagnements par mois</caption>" in html and '<th scope="col">Mois</th>' in html
        assert 'class="fr-table' in html and "<td>Janvier</td>" in html

    @pytest.mark.django_db
    def test_it_hides_a_private_document_and_describes_a_public_one(self):
        public, private = DocumentFactory(title="Guide public"), DocumentFactory(private=True)
        html = render(stream(document(public.pk), document(private.pk)))
        assert f'href="{public.url}"' in html and "PDF –" in html
        assert private.url not in html
        block = BodyBlock()
        value = block.to_python([{"type": "document", "value": {"document": private.pk, "title": ""}}])
        assert block.get_api_representation(value)[0]["value"]["document"] is None

    def test_it_limits_the_site_map_to_one_block(self):
        block = BodyBlock()
        value = block.to_python([{"type": "sitemap", "value": None}, {"type": "sitemap", "value": None}])
        with pytest.raises(StreamBlockValidationError):
            block.clean(value)


@pytest.mark.django_db
class TestResourceValidation:
    def test_it_requires_exactly_one_of_a_document_or_a_link(self):
        for chosen, url in [(None, ""), (DocumentFactory(), "https://exemple.gouv.fr/")]:
            page = ResourcePage(title="Fiche", slug="fiche", summary="Résumé.", document=chosen, external_url=url)
            with pytest.raises(ValidationError) as error:
                page.clean()
            assert "soit un document, soit un lien externe" in str(error.value)
