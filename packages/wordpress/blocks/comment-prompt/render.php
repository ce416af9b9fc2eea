<?php
/**
 * The block chorus/comment-prompt: `for` defaults to the comment form (#respond) when comments are open.
 *
 * @package Chorus
 * @var array $attributes The block's attributes.
 */

defined( 'ABSPATH' ) || exit;

$chorus_for = chorus_block_string( $attributes, 'for' );
// Escaped inside, for each context.
echo chorus_render_comment_prompt( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	array(
		'question'  => chorus_block_string( $attributes, 'question' ),
		'for'       => '' === $chorus_for ? null : $chorus_for,
		'email'     => chorus_block_string( $attributes, 'email' ),
		'inline'    => ! empty( $attributes['inline'] ),
		'label'     => chorus_block_string( $attributes, 'label' ),
		'maxlength' => chorus_block_string( $attributes, 'maxlength' ),
		'id'        => chorus_block_string( $attributes, 'id' ),
		'class'     => chorus_block_string( $attributes, 'className' ),
	)
);
