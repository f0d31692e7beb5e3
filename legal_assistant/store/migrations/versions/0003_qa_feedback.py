"""qa: answer feedback (qa_feedback)

Revision ID: 0003_qa_feedback
Revises: 0002_features
Create Date: 2026-11-29 11:03:36.176064
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003_qa_feedback'
down_revision: str | None = '0002_features'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('qa_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('citations', sa.JSON(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_qa_feedback_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_feedback'))
    )
    with op.batch_alter_table('qa_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_feedback_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_feedback_owner_id'), ['owner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('qa_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_feedback_owner_id'))
        batch_op.drop_index(batch_op.f('ix_qa_feedback_created_at'))

    op.drop_table('qa_feedback')
