"""feature tables: review, ledger, settlement, selfcheck, qa, drafting, signing

Revision ID: 0002_features
Revises: 0001_core
Create Date: 2026-11-29 10:55:15.815366
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002_features'
down_revision: str | None = '0001_core'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('drafting_contracts',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('template_id', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('signature_slots_json', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafting_contracts'))
    )
    op.create_table('ledger_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.String(length=40), nullable=True),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('doc_sha256', sa.String(length=64), nullable=True),
    sa.Column('payload_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('contract_prev_hash', sa.String(length=64), nullable=True),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_records')),
    sa.UniqueConstraint('prev_hash', name='uq_ledger_records_prev_hash'),
    sa.UniqueConstraint('record_hash', name=op.f('uq_ledger_records_record_hash')),
    sa.UniqueConstraint('seq', name='uq_ledger_records_seq')
    )
    with op.batch_alter_table('ledger_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_records_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_records_doc_sha256'), ['doc_sha256'], unique=False)

    op.create_table('settlement_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('court', sa.String(length=100), nullable=False),
    sa.Column('case_number', sa.String(length=64), nullable=False),
    sa.Column('creditor_name', sa.String(length=200), nullable=False),
    sa.Column('debtor_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('agreement_date', sa.Date(), nullable=False),
    sa.Column('plan_title', sa.String(length=200), nullable=False),
    sa.Column('agreed_total_fen', sa.BigInteger(), nullable=False),
    sa.Column('grace_days', sa.Integer(), nullable=False),
    sa.Column('input_json', sa.Text(), nullable=False),
    sa.Column('plan_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_cases'))
    )
    with op.batch_alter_table('settlement_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlement_cases_case_number'), ['case_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_settlement_cases_court'), ['court'], unique=False)
        batch_op.create_index(batch_op.f('ix_settlement_cases_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_settlement_cases_status'), ['status'], unique=False)

    op.create_table('drafting_parties',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('contract_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=20), nullable=False),
    sa.Column('role_label', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id_number', sa.String(length=30), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['drafting_contracts.id'], name=op.f('fk_drafting_parties_contract_id_drafting_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafting_parties')),
    sa.UniqueConstraint('contract_id', 'role_key', name='uq_drafting_parties_role')
    )
    with op.batch_alter_table('drafting_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafting_parties_contract_id'), ['contract_id'], unique=False)

    op.create_table('review_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('contract_type', sa.String(length=40), nullable=False),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('high_count', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('result_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_review_cases_assignee_id_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_review_cases_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_cases'))
    )
    with op.batch_alter_table('review_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cases_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_cases_flagged'), ['flagged'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_cases_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_cases_status'), ['status'], unique=False)

    op.create_table('selfcheck_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_selfcheck_results_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selfcheck_results'))
    )
    with op.batch_alter_table('selfcheck_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfcheck_results_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_selfcheck_results_enterprise_name'), ['enterprise_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_selfcheck_results_owner_id'), ['owner_id'], unique=False)

    op.create_table('settlement_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['settlement_cases.id'], name=op.f('fk_settlement_events_case_id_settlement_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_events'))
    )
    with op.batch_alter_table('settlement_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlement_events_case_id'), ['case_id'], unique=False)

    op.create_table('settlement_installments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['settlement_cases.id'], name=op.f('fk_settlement_installments_case_id_settlement_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_installments'))
    )
    with op.batch_alter_table('settlement_installments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlement_installments_case_id'), ['case_id'], unique=False)

    op.create_table('settlement_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['settlement_cases.id'], name=op.f('fk_settlement_payments_case_id_settlement_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_payments'))
    )
    with op.batch_alter_table('settlement_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlement_payments_case_id'), ['case_id'], unique=False)

    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_label', sa.String(length=128), nullable=False),
    sa.Column('clause', sa.String(length=40), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_comments_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_review_comments_case_id_review_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comments_case_id'), ['case_id'], unique=False)

    op.create_table('review_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_review_status_history_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_review_status_history_case_id_review_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_status_history'))
    )
    with op.batch_alter_table('review_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_status_history_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_status_history_case_id'))

    op.drop_table('review_status_history')
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comments_case_id'))

    op.drop_table('review_comments')
    with op.batch_alter_table('settlement_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlement_payments_case_id'))

    op.drop_table('settlement_payments')
    with op.batch_alter_table('settlement_installments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlement_installments_case_id'))

    op.drop_table('settlement_installments')
    with op.batch_alter_table('settlement_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlement_events_case_id'))

    op.drop_table('settlement_events')
    with op.batch_alter_table('selfcheck_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selfcheck_results_owner_id'))
        batch_op.drop_index(batch_op.f('ix_selfcheck_results_enterprise_name'))
        batch_op.drop_index(batch_op.f('ix_selfcheck_results_created_at'))

    op.drop_table('selfcheck_results')
    with op.batch_alter_table('review_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_cases_status'))
        batch_op.drop_index(batch_op.f('ix_review_cases_owner_id'))
        batch_op.drop_index(batch_op.f('ix_review_cases_flagged'))
        batch_op.drop_index(batch_op.f('ix_review_cases_assignee_id'))

    op.drop_table('review_cases')
    with op.batch_alter_table('drafting_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drafting_parties_contract_id'))

    op.drop_table('drafting_parties')
    with op.batch_alter_table('settlement_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlement_cases_status'))
        batch_op.drop_index(batch_op.f('ix_settlement_cases_owner_id'))
        batch_op.drop_index(batch_op.f('ix_settlement_cases_court'))
        batch_op.drop_index(batch_op.f('ix_settlement_cases_case_number'))

    op.drop_table('settlement_cases')
    with op.batch_alter_table('ledger_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_records_doc_sha256'))
        batch_op.drop_index(batch_op.f('ix_ledger_records_contract_id'))

    op.drop_table('ledger_records')
    op.drop_table('drafting_contracts')
