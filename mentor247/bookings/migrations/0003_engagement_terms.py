"""Each engagement keeps the terms it was bought on: price, currency, the platform's fee,
the free-change rule and the policies in effect. Engagements bought before get their
offering's price and the settings and policies of their purchase."""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import Max


def fill(apps: Any, schema_editor: Any) -> None:
    Engagement = apps.get_model("bookings", "Engagement")
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    for engagement in Engagement.objects.select_related("offering"):
        engagement.price = engagement.offering.price
        engagement.currency = engagement.offering.currency
        engagement.platform_fee_rate = settings.PLATFORM_FEE_BASIS_POINTS
        engagement.free_change_hours = settings.BOOKING_FREE_CHANGE_HOURS
        engagement.save(
            update_fields=["price", "currency", "platform_fee_rate", "free_change_hours"]
        )
        # The newest version of each policy in effect when it was bought.
        newest = (
            PolicyVersion.objects.filter(effective_at__lte=engagement.created_at)
            .values("policy")
            .annotate(number=Max("number"))
        )
        versions = [
            PolicyVersion.objects.get(policy=row["policy"], number=row["number"])
            for row in newest
        ]
        engagement.policy_versions.set(versions)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_no_double_booking"),
        ("policies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="engagement",
            name="price",
            field=models.PositiveIntegerField(null=True, verbose_name="price"),
        ),
        migrations.AddField(
            model_name="engagement",
            name="currency",
            field=models.CharField(max_length=3, null=True, verbose_name="currency"),
        ),
        migrations.AddField(
            model_name="engagement",
            name="platform_fee_rate",
            field=models.PositiveSmallIntegerField(
                null=True, verbose_name="platform fee (basis points)"
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="free_change_hours",
            field=models.PositiveSmallIntegerField(
                null=True, verbose_name="free change until (hours before)"
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="policy_versions",
            field=models.ManyToManyField(
                related_name="+",
                to="policies.policyversion",
                verbose_name="policies agreed to",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="engagement",
            name="price",
            field=models.PositiveIntegerField(verbose_name="price"),
        ),
        migrations.AlterField(
            model_name="engagement",
            name="currency",
            field=models.CharField(max_length=3, verbose_name="currency"),
        ),
        migrations.AlterField(
            model_name="engagement",
            name="platform_fee_rate",
            field=models.PositiveSmallIntegerField(verbose_name="platform fee (basis points)"),
        ),
        migrations.AlterField(
            model_name="engagement",
            name="free_change_hours",
            field=models.PositiveSmallIntegerField(
                verbose_name="free change until (hours before)"
            ),
        ),
    ]
